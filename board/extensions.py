"""Flask extensions, created here and bound to the app in create_app()."""

from flask_babel import Babel
from flask_htmx import HTMX
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from socketio.packet import Packet
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from board.signatures import CSRF

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Objects stay loaded after commit: the push right after it renders from them, unreloaded.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
socketio = SocketIO()


class TextPacket(Packet):
    """Socket.IO's packet with a quicker check for binary data: the same answer, without
    the list and the reduce that the library builds for every dict and list of a payload (a
    fifth of what an emit cost the board). Our pushes are text: HTML fragments in JSON."""

    @classmethod
    def data_is_binary(cls, data) -> bool:
        if isinstance(data, str):
            return False
        if isinstance(data, bytes | bytearray):
            return True
        if isinstance(data, list):
            return any(map(cls.data_is_binary, data))
        if isinstance(data, dict):
            return any(map(cls.data_is_binary, data.values()))
        return False


csrf = CSRF()
babel = Babel()
htmx = HTMX()
