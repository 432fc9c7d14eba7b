"""Leadsmith's lead book: the domain and its storage. Imports no Qt and no file reader."""
