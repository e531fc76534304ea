"""The exchange pages, one module per job (see each module's docstring); thin: parse, check, call the domain, render."""
