"""Built-in dfcheck rules, one module per rule or tight family.

`dfcheck.rules` is this package and, called, the public API's list of every rule (`dfcheck.rules()`: built-in
and plugin rules, as `dfcheck rules` lists them). A package and a function cannot share the name `rules` in
`dfcheck`, since importing this package sets the attribute, so the package itself is made callable.
"""

import sys
import types


class _CallablePackage(types.ModuleType):
    def __call__(self):
        """Every rule dfcheck knows (built-in and from plugins), in code order."""
        from dfcheck.engine import load_rules

        return list(load_rules())


sys.modules[__name__].__class__ = _CallablePackage
