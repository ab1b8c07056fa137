"""Thingwalla: a Git-based marketplace of digital services for public bodies.

Data flows one way: files in git -> loaded documents (with source positions) -> validated
model -> page models -> the MkDocs site and machine-readable feeds.
"""

__version__ = "0.1.0"
