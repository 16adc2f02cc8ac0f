"""Parsers and encoders for the serial frames of common truck-scale indicators, one module per family."""
