"""Built-in dfcheck rules, one module per rule or tight family."""
