"""pynn — a two-layer neural network written by hand in numpy.

    s0 = W0·x + b0,  h0 = ReLU(s0),  s1 = W1·h0 + b1,  h1 = softmax(s1)

Examples are columns: X is D×N, labels y are integers of shape (N,) in [0, C).
"""
from . import datasets
from .estimator import Classifier
from .gradcheck import gradcheck
from .model import Forward, TwoLayerNet
from .training import DivergenceError, History, train

__version__ = "0.1.0"

__all__ = ["Classifier", "DivergenceError", "datasets", "Forward", "History", "TwoLayerNet", "gradcheck", "train", "__version__"]
