"""The write step of a form page, the same on every app's screens.

A view looks its object up, checks the role, binds its form, and then hands
the write to ``save_form``: the service runs only for a bound, valid form; a
rule the service refuses (the app's domain error) comes back as the form's
own error, shown above its fields with what the user typed; a write that went
through is announced. The view then redirects, or renders the form again.
"""

from django.contrib import messages


def save_form(request, form, write, *, refusal, success):
    """What ``write()`` returned, or None when nothing was written.

    ``write`` takes no arguments and is called only when ``form`` is bound and
    valid, so it may read ``form.cleaned_data``; it must return what it wrote
    (services return their object). ``refusal`` is the exception class (or a
    tuple of them) whose message becomes a form error; ``success`` is the
    message shown after the write, or a function of its result giving it.
    """
    if not form.is_bound or not form.is_valid():
        return None
    try:
        result = write()
    except refusal as error:
        form.add_error(None, str(error))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result
