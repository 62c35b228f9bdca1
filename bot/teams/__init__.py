"""Microsoft Teams adapter: microsoft-teams-apps mounted at /api/messages in the one web server."""
