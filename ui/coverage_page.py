"""Coverage check page (being built)."""
import streamlit as st

st.title("Coverage check")
