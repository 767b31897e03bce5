"""Proposals (议题): a resident's idea gathers support until the council takes it up."""
