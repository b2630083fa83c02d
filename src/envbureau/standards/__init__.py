"""Pure implementations of China's national environmental standards.

Each module implements one standard (``hj633``, ``hj663``, ``gb3095``, ``gb3838`` …). The
functions take and return numpy arrays or pandas objects, do no I/O and cite the clause they
implement. Tables of the standards are module constants kept apart from the algorithms.
"""
