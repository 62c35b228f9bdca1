"""Slack adapter: bolt AsyncApp listeners over HTTP (/slack/events) or Socket Mode."""
