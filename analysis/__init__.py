"""Security Discourse Toolkit: topics, keyword trends and framing in security-organization texts."""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
