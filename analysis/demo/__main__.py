"""`python -m analysis.demo`: regenerate the demo corpus in corpus/demo (byte for byte the same)."""

import logging

from analysis.demo.write import DEFAULT_OUT, write_demo

logging.basicConfig(level=logging.INFO, format="%(message)s")
write_demo(DEFAULT_OUT)
