"""Matching needs and resources (对接): a request-free ranking engine, its records and CLI."""
from forum.matching.engine import THRESHOLD, MatchIndex, build_index, rank_needs, rank_resources
from forum.matching.records import NeedRecord, ResourceRecord, need_record, resource_record
from forum.matching.suggestions import Reason, Suggestion

__all__ = [
    "THRESHOLD", "MatchIndex", "Reason", "Suggestion", "build_index", "rank_needs", "rank_resources",
    "NeedRecord", "ResourceRecord", "need_record", "resource_record",
]
