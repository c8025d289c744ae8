"""Streamlit panels of the app; the only place besides streamlit_app.py that calls ``st.``."""
