"""`_()` in templates: one call, the same text as Jinja's own newstyle i18n makes of it."""

import pytest
from flask_babel import force_locale
from jinja2 import Environment

from board.templating import gettext, ngettext

SOURCES = [
    '{{ _("Nog geen kaartjes.") }}',
    '{{ _("Onderwijsbehoeften (%(n)s)", n=count) }}',
    '{{ _("%(n)s× per week", n=text) }}',
    '{{ _("100%% klaar") }}',
    '{{ gettext("Haalbaar") }}',
    '{{ ngettext("%(num)s kaartje", "%(num)s kaartjes", count) }}',
    '{{ ngettext("%(num)s kaartje", "%(num)s kaartjes", 1) }}',
    "{% trans n=text %}Plek: {{ n }}{% endtrans %}",
]


def jinjas_own(app) -> Environment:
    """Jinja's i18n extension alone, with the app's catalog lookup, as the board had it."""
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    environment.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True)
    return environment


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("source", SOURCES)
def test_a_translated_text_renders_as_jinja_s_i18n_renders_it(app, source, locale):
    values = {"count": 3, "text": "<b>vet</b> & 50%"}
    with app.test_request_context(), force_locale(locale):
        ours = app.jinja_env.from_string(source).render(values)
        theirs = jinjas_own(app).from_string(source).render(values)
    assert ours == theirs
    assert "<b>" not in ours  # a value is escaped, as before
