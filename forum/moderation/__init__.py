"""Moderation: reports (举报), the moderators' queue, sanctions and the moderation log."""
