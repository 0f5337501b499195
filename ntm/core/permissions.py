"""Who may do what with the pieces core owns."""


def can_download_export(user, job):
    """Only the one who asked: an export is made with their rights, for the
    purpose they gave (Decree 13/2023), and logged under their name."""
    return user.is_authenticated and job.requested_by_id == user.pk
