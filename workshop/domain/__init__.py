"""Domain rules: plain Python, no Flask, no Socket.IO, no database.

Each module here states one set of rules of the method and is tested directly.
"""
