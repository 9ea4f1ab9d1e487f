"""Arrays in, float32 blobs out. NumPy is imported here, lazily, only when an array method needs it; PyTorch is
never imported: a tensor is recognised by its methods and converted with `.detach().cpu().numpy()`."""


def numpy():
    """The numpy module, or a one-line error saying how to get it."""
    try:
        import numpy as np
    except ImportError:
        raise ImportError("vaescope: this method needs NumPy (pip install numpy)") from None
    return np


def to_array(value, name):
    """`value` (NumPy array, PyTorch tensor, nested lists) as a float32 NumPy array."""
    np = numpy()
    if all(hasattr(value, m) for m in ("detach", "cpu", "numpy")):  # a torch.Tensor, without importing torch
        value = value.detach().cpu()
        try:
            value = value.numpy()
        except TypeError:  # bfloat16 and friends have no NumPy dtype
            value = value.float().numpy()
    try:
        array = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError) as e:
        raise ValueError("%s: not an array of numbers (%s)" % (name, e)) from None
    return array


def to_blobs(array, rows):
    """The little-endian float32 blob of each of the first `rows` entries of `array` (any trailing shape)."""
    np = numpy()
    array = np.ascontiguousarray(array, dtype="<f4")
    return [array[i].tobytes() for i in range(rows)]
