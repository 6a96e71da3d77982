"""Khabar's RTL text engine: sanitising, direction, wrapping, shaping and reordering for terminals.

Pure functions, no I/O. See the modules:

* ``reader.rtl.sanitize``: ``sanitize(text, *, multiline=True)``, the one sanitiser for untrusted text.
"""
