"""园区政策助手 — cited answers over industrial-park policy documents."""

__version__ = "0.1.0"
