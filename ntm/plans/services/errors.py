class PlanError(Exception):
    """A plan file or a plan change that cannot be accepted; says why."""
