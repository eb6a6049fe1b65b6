"""Social assistance (救助帮扶) and services: payments per household, veterans' preferential cards, day care."""
