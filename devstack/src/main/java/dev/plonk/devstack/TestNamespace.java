package dev.plonk.devstack;

/** A namespace created for one test method on the devstack's apiserver. */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
