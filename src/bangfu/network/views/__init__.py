"""Pages of the service network: the helper's "my people" and the registers."""
