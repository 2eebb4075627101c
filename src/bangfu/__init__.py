"""bangfu (帮扶): employment assistance for people lifted out of poverty."""

__version__ = "0.1.0"
