"""gwshift: convert rendered Ingress resources into Gateway API resources."""

__version__ = "0.1.0"
