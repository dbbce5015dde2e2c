#include "physics/thermal/sphere_conduction.hpp"

#include <cmath>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

namespace {
constexpr double kPi = constants::pi;
constexpr double kSigma = constants::stefan_boltzmann;
}  // namespace

SphereConduction::SphereConduction(const Material& material, double diameter, int shells, double T0)
    : m_(&material), radius_(0.5 * diameter) {
  if (shells < 2 || !(diameter > 0)) throw InputError("conduction: need >= 2 shells, d > 0");
  r_face_.resize(shells + 1);
  for (int i = 0; i <= shells; ++i) r_face_[i] = radius_ * i / shells;
  volume_.resize(shells);
  for (int i = 0; i < shells; ++i)
    volume_[i] = 4.0 / 3.0 * kPi * (std::pow(r_face_[i + 1], 3) - std::pow(r_face_[i], 3));
  T_.assign(shells, T0);
  // shell masses fixed at the initial density (thermal expansion moves mass, not modelled)
  mass_.resize(shells);
  for (int i = 0; i < shells; ++i) mass_[i] = material.density(T0) * volume_[i];
}

void SphereConduction::step(double dt, const std::function<double(double)>& q, double wall_T,
                            double eps) {
  const int n = static_cast<int>(T_.size());
  const double dr = r_face_[1] - r_face_[0];
  std::vector<double> a(n, 0.0), b(n, 0.0), c(n, 0.0), rhs(n, 0.0);
  for (int i = 0; i < n; ++i) {
    const double Ti = T_[i];
    const double cap = mass_[i] * m_->cp(Ti) / dt;
    b[i] = cap;
    const double mid = 0.5 * (r_face_[i] + r_face_[i + 1]);
    rhs[i] = cap * Ti + q(radius_ - mid) * volume_[i];
    if (i > 0) {  // inner face
      const double k = 0.5 * (m_->conductivity(Ti) + m_->conductivity(T_[i - 1]));
      const double g = k * 4.0 * kPi * r_face_[i] * r_face_[i] / dr;
      a[i] = -g;
      b[i] += g;
    }
    if (i < n - 1) {  // outer face
      const double k = 0.5 * (m_->conductivity(Ti) + m_->conductivity(T_[i + 1]));
      const double g = k * 4.0 * kPi * r_face_[i + 1] * r_face_[i + 1] / dr;
      c[i] = -g;
      b[i] += g;
    } else {  // surface: eps sigma A (T^4 - Tw^4), linearised about the old T
      const double area = 4.0 * kPi * radius_ * radius_;
      const double h = 4.0 * eps * kSigma * area * Ti * Ti * Ti;
      b[i] += h;
      rhs[i] += h * Ti - eps * kSigma * area * (std::pow(Ti, 4) - std::pow(wall_T, 4));
    }
  }
  // Thomas algorithm
  for (int i = 1; i < n; ++i) {
    const double w = a[i] / b[i - 1];
    b[i] -= w * c[i - 1];
    rhs[i] -= w * rhs[i - 1];
  }
  T_[n - 1] = rhs[n - 1] / b[n - 1];
  for (int i = n - 2; i >= 0; --i) T_[i] = (rhs[i] - c[i] * T_[i + 1]) / b[i];
}

double SphereConduction::mean_temperature() const {
  double s = 0.0, v = 0.0;
  for (std::size_t i = 0; i < T_.size(); ++i) s += T_[i] * volume_[i], v += volume_[i];
  return s / v;
}

double SphereConduction::heat_content(double T_ref) const {
  double s = 0.0;
  for (std::size_t i = 0; i < T_.size(); ++i)
    s += mass_[i] * (m_->enthalpy(T_[i]) - m_->enthalpy(T_ref));
  return s;
}

double fourier_number(const Material& m, double diameter, double T, double time) {
  const double r = 0.5 * diameter;
  return m.conductivity(T) / (m.density(T) * m.cp(T)) * time / (r * r);
}

double radiative_biot_number(const Material& m, double diameter, double T, double eps) {
  return 4.0 * eps * kSigma * T * T * T * 0.5 * diameter / m.conductivity(T);
}

bool lumped_model_valid(const Material& m, double diameter, double T, double heating_time) {
  return fourier_number(m, diameter, T, heating_time) >= 1.0 &&
         radiative_biot_number(m, diameter, T, m.emissivity(T)) <= 0.1;
}

}  // namespace mps
