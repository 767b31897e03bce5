"""Places: streets (街道), communities (社区), compounds (小区) and stationed units (驻区单位)."""
