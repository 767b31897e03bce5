"""Sensitive words (敏感词): normalise, match (Aho-Corasick), keep the lists, screen posts."""
