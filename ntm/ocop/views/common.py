def form_status(form):
    """400 for a refused form, so that a refused page is not cached as done."""
    return 400 if form.is_bound and form.errors else 200
