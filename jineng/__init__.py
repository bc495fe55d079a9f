"""Jineng (技能): the real-name vocational skills training management and supervision platform."""
