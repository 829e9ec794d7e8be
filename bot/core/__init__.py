"""The platform-free core: messages, commands, routing, understanding, i18n, time."""
