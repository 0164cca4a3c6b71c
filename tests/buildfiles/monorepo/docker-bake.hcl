# Bake at the repository root: every service builds from the root.
variable "REGISTRY" {
  default = "ghcr.io/acme"
}

variable "PYTHON_VERSION" {
  default = "3.11"
}

variable "DEBUG" {
  default = false
}

group "default" {
  targets = ["services"]
}

group "services" {
  targets = ["api", "worker"]
}

target "_common" {
  context = "."
  args = {
    PYTHON_VERSION = PYTHON_VERSION
    REGISTRY       = "${REGISTRY}"
  }
}

target "_stamped" {
  args = {
    BUILD_DATE = timestamp()
  }
}

target "api" {
  inherits   = ["_common", "_stamped"]
  dockerfile = "services/api/Dockerfile"
  target     = "prod"
  contexts = {
    shared = "libs/shared"
  }
  args = {
    DEBUG = DEBUG ? "1" : "0"
  }
}

target "worker" {
  inherits = ["_common"]
  context  = "services/worker"
  args = {
    QUEUE = notequal(PYTHON_VERSION, "") ? upper("fast") : "slow"
  }
}
