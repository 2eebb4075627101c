"""Pages of the subsidies app (免申即享 / 直补快办): thin views over selectors and services."""
