"""newsletter-kb: a searchable knowledge base of a newsletter's past issues."""
__version__ = "0.1.0"
