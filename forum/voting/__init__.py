"""Voting (表决/投票): polls with clear rules, secret or open ballots."""
