"""Security Discourse Toolkit: topics, keyword trends and framing in security-organization texts."""

from analysis.kernels import pin_kernels

pin_kernels()  # before NumPy loads: the same floating-point kernels on every x86-64 machine

import logging  # noqa: E402

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
