"""The atlas's server: the Streamlit app (``streamlit_app.py``) and, on the same server, the
route of its vector tiles (``ui/tile_routes.py``). ``sip-atlas app`` starts it."""

import streamlit as st

from ui.tile_routes import tile_routes

app = st.App("streamlit_app.py", routes=tile_routes())
