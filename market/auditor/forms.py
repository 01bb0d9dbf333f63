"""The verification form: an expected chain head (sequence and hash), both or neither."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import NumberRange, Optional, Regexp

from market.core.inputs import DB_INT_MAX


class HeadForm(FlaskForm):
    seq = IntegerField(_l("Sequence number"), validators=[
        Optional(), NumberRange(min=1, max=DB_INT_MAX,
                                message=_l("A sequence number is a whole number from 1."))])
    hash = StringField(_l("Hash (SHA-256)"), filters=[lambda v: (v or "").strip().lower()],
                       validators=[Optional(), Regexp(
                           r"^[0-9a-f]{64}$",
                           message=_l("A SHA-256 hash is 64 hexadecimal digits."))])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if (self.seq.data is None) != (not self.hash.data):
            self.hash.errors.append(str(_l("Give both the sequence number and the hash, "
                                           "or neither to use the latest published head.")))
            return False
        return True

    def expected(self) -> tuple[int, str] | None:
        return (self.seq.data, self.hash.data) if self.seq.data is not None else None
