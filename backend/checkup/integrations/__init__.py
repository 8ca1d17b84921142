"""Adapters to outside systems (HIS, PEIS, WeChat): one interface plus its real HTTP client each."""
