"""Jineng's benchmark suite: each figure beside a raw baseline measured in the same run on the same data."""
