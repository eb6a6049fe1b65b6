"""The channels: one interface (``Channel``), one module per provider; ``channel_for`` picks by name."""
