# Sourced by the scripts: what OpenMPI needs to run here (as root in CI; more ranks than cores).
export OMPI_ALLOW_RUN_AS_ROOT=1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
# no shared-memory single-copy (CMA) in containers without ptrace rights
export OMPI_MCA_btl_vader_single_copy_mechanism=none
