"""The atlas's server: the Streamlit app (``streamlit_app.py``), the route of its vector tiles
(``ui/tile_routes.py``) and the guard of Streamlit's own routes by role (``ui/guard.py``).
``sip-atlas app`` starts it."""

import streamlit as st
from starlette.middleware import Middleware

from ui.guard import Guard
from ui.tile_routes import tile_routes

app = st.App("streamlit_app.py", routes=tile_routes(), middleware=[Middleware(Guard)])
