"""Packages whose public names are imported on first use (PEP 562): importing them is cheap."""

import importlib
import sys
import types


class LazyPackage(types.ModuleType):
    """A package that imports each public name from its submodule on first use.

    The package's ``_WHERE`` (name -> submodule) says where each name is defined; no public
    name is also a submodule's name, so importing a submodule never hides one.
    """

    def __getattr__(self, name):
        where = self.__dict__.get("_WHERE", {})
        if name not in where:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{where[name]}", self.__name__), name)
        self.__dict__[name] = value
        return value


def lazy_package(name: str, where: dict[str, str]) -> list[str]:
    """Make a package import its public names from their submodules on first use.

    Parameters
    ----------
    name : str
        The package's ``__name__`` (it must be imported, i.e. in ``sys.modules``).
    where : dict of str to str
        Each public name and the submodule, relative to the package, that defines it.

    Returns
    -------
    list of str
        The public names, sorted: the package's ``__all__``.
    """
    module = sys.modules[name]
    module._WHERE = where
    module.__class__ = LazyPackage
    return sorted(where)
