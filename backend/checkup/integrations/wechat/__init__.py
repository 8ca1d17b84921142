"""WeChat: mini-program login, WeChat Pay API v3, messages, official account menu."""
