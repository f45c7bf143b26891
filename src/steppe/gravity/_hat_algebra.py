"""The fixed points of the one-sector gravity model in changes, on plain arrays.

The kernels behind :func:`steppe.gravity.ge.solve_ge_arrays` (the model and its
notation are in :mod:`steppe.gravity.ge`).  Everything that does not change between
iterations (``λ_ij φ̂_ij``, ``X_ij φ̂_ij``) is computed by the caller once; each
iteration is two matrix-vector products and a few vector operations.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from steppe._deadline import check_deadline
from steppe.errors import ConvergenceError

__all__ = ["conditional_resistances", "full_endowment_prices"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def conditional_resistances(
    lam_phi: FloatArray, s_phi: FloatArray, ref: int, *, tol: float, max_iter: int
) -> tuple[FloatArray, FloatArray, int]:
    """Solve the conditional GE: the multilateral resistances at fixed outputs and expenditures.

    A biproportional fit: ``P̂_j^(1-σ) = Σ_i λ_ij φ̂_ij / OMR̂_i`` and
    ``OMR̂_i = Σ_j (X_ij φ̂_ij / Y_i) / P̂_j^(1-σ)``, with ``P̂_ref = 1``.

    Parameters
    ----------
    lam_phi, s_phi
        ``λ_ij φ̂_ij`` (import shares) and ``X_ij φ̂_ij / Y_i`` (export shares).
    ref
        Row of the reference country.
    tol, max_iter
        Stop when no log change exceeds ``tol``; raise after ``max_iter`` iterations.

    Returns
    -------
    tuple
        ``OMR̂``, ``P̂^(1-σ)`` and the number of iterations.

    Examples
    --------
    >>> omr, imr, _ = conditional_resistances(np.eye(2), np.eye(2), 0, tol=1e-12, max_iter=10)
    >>> omr.tolist(), imr.tolist()
    ([1.0, 1.0], [1.0, 1.0])
    """
    inv_omr = np.ones(len(lam_phi))  # 1 / OMR̂
    inv_imr = np.ones(len(lam_phi))  # 1 / P̂^(1-σ)
    for it in range(1, max_iter + 1):
        check_deadline()
        inv_imr_new = 1.0 / (inv_omr @ lam_phi)
        inv_omr_new = 1.0 / (s_phi @ inv_imr_new)
        scale = inv_imr_new[ref]
        inv_imr_new, inv_omr_new = inv_imr_new / scale, inv_omr_new * scale
        step = max(
            np.max(np.abs(np.log(inv_imr_new / inv_imr))),
            np.max(np.abs(np.log(inv_omr_new / inv_omr))),
        )
        inv_omr, inv_imr = inv_omr_new, inv_imr_new
        if step < tol:
            return 1.0 / inv_omr, 1.0 / inv_imr, it
    raise ConvergenceError(f"conditional GE did not converge in {max_iter} iterations")


def full_endowment_prices(  # noqa: PLR0917
    lam_phi: FloatArray,
    x_phi: FloatArray,
    output: FloatArray,
    expenditure: FloatArray,
    sigma: float,
    ref: int,
    *,
    deficits: str,
    tol: float,
    max_iter: int,
) -> tuple[FloatArray, FloatArray, FloatArray, int]:
    """Solve the full-endowment GE for the factory-gate prices.

    ``p̂_i^σ = Σ_j X_ij φ̂_ij Ê_j / P̂_j^(1-σ) / Y_i`` with
    ``P̂_j^(1-σ) = Σ_i λ_ij φ̂_ij p̂_i^(1-σ)``, prices rescaled each round so that
    ``P̂_ref = 1``.

    Parameters
    ----------
    lam_phi, x_phi
        ``λ_ij φ̂_ij`` and ``X_ij φ̂_ij``.
    output, expenditure
        Baseline ``Y_i`` and ``E_j``.
    sigma, ref
        Elasticity of substitution and row of the reference country.
    deficits
        ``"world_share"`` (``E' = p̂ Y + D Σp̂Y / ΣY``) or ``"ratio"`` (``Ê = p̂``).
    tol, max_iter
        Stop when no log price change exceeds ``tol``; raise after ``max_iter``.

    Returns
    -------
    tuple
        ``p̂`` (= ``Ŷ``), ``Ê``, ``P̂^(1-σ)`` and the number of iterations.

    Examples
    --------
    >>> p, e, imr, _ = full_endowment_prices(np.eye(2), np.eye(2), np.ones(2), np.ones(2),
    ...                                      7.0, 0, deficits="ratio", tol=1e-12, max_iter=10)
    >>> p.tolist()
    [1.0, 1.0]
    """
    y, e = output, expenditure
    lam_phi_ref = np.ascontiguousarray(lam_phi[:, ref])
    a = 1.0 - sigma
    deficit_share = (e - y) / float(y.sum())  # D_j as a share of world output

    def e_hat_of(p: FloatArray) -> FloatArray:
        if deficits == "ratio":
            return p
        out: FloatArray = (p * y + deficit_share * float(p @ y)) / e
        return out

    p_hat = np.ones(len(y))
    for it in range(1, max_iter + 1):
        check_deadline()
        imr = p_hat**a @ lam_phi  # P̂^(1-σ)
        p_new = ((x_phi @ (e_hat_of(p_hat) / imr)) / y) ** (1.0 / sigma)
        p_new /= float(lam_phi_ref @ p_new**a) ** (1.0 / a)
        step = np.max(np.abs(np.log(p_new / p_hat)))
        p_hat = p_new
        if not np.isfinite(step):
            break
        if step < tol:
            imr = p_hat**a @ lam_phi
            return p_hat, e_hat_of(p_hat), np.asarray(imr, dtype=float), it
    raise ConvergenceError(f"full-endowment GE did not converge in {max_iter} iterations")
