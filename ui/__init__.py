"""Streamlit pages: short scripts over the query service, no business logic."""
