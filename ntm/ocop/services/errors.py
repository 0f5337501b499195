class OcopError(Exception):
    """The input is well formed but breaks a rule of the OCOP records."""
