#include "physics/beam/beam_figures.hpp"

#include <algorithm>
#include <cmath>

#include "physics/beam/figures_of_merit.hpp"

namespace mps {

BeamFigures::BeamFigures(FigureOptions o) : o_(std::move(o)) {
  if (o_.map_bins < 2) o_.map_bins = 2;
  if (!(o_.map_half_length > 0)) o_.map_half_length = 1e-3;
  if (!(o_.map_half_width > 0)) o_.map_half_width = 1e-3;
  map_.assign(static_cast<std::size_t>(o_.map_bins) * o_.map_bins, 0.0);
}

double BeamFigures::length_coordinate(int i) const {
  return -o_.map_half_length + (i + 0.5) * 2 * o_.map_half_length / o_.map_bins;
}
double BeamFigures::width_coordinate(int j) const {
  return -o_.map_half_width + (j + 0.5) * 2 * o_.map_half_width / o_.map_bins;
}

void BeamFigures::observe(const ParticleStore& g, const std::vector<double>& power,
                          const std::vector<char>& inside, const std::vector<Vec3>& loc, double dt,
                          const std::vector<double>& xray) {
  const bool use_xray = xray.size() == power.size() && !power.empty();
  if (use_xray) map_is_xray_ = true;
  const std::vector<double>& source = use_xray ? xray : power;
  const double sa = std::sin(o_.target_angle), ca = std::cos(o_.target_angle);
  const int nb = o_.map_bins;
  // The gathered particles and the open crossings are both sorted by id: one merge walk finds
  // new crossings, continues open ones and ends those whose particle left the beam.
  const auto& ids = g.ids();
  std::vector<std::pair<std::uint64_t, Crossing>> next;
  next.reserve(in_beam_.size() + 64);
  std::size_t k = 0;  // position in in_beam_
  for (std::size_t i = 0; i < g.size(); ++i) {
    const std::uint64_t id = ids[i];
    // open crossings with smaller ids: their particles are gone from the gathered box
    while (k < in_beam_.size() && in_beam_[k].first < id) {
      finish(in_beam_[k].second, std::nan(""), std::nan(""), 0, 0);
      ++k;
    }
    const bool open = k < in_beam_.size() && in_beam_[k].first == id;
    if (!inside[i]) {
      if (open) {  // left the beam this step: record its state at the exit
        finish(in_beam_[k].second, g[Field::charge][i], g[Field::peak_temperature][i],
               g[Field::liquid_fraction][i], g[Field::time_molten][i]);
        ++k;
      }
      continue;
    }
    Crossing c;
    if (open) {
      c = in_beam_[k].second;
      ++k;
    } else {
      double h = g[Field::enthalpy][i];
      if (std::isnan(h) && o_.enthalpy_of_t) h = o_.enthalpy_of_t(g[Field::temperature][i]);
      c.entry_enthalpy = h;
      c.mass = g[Field::mass][i];
    }
    c.energy += power[i] * dt;
    next.emplace_back(id, c);
    // projected position seen along the reference direction at the target angle: the length
    // coordinate mixes the focal-spot length (sin alpha) and the depth along the beam (cos alpha)
    const double l = loc[i][0] * sa + loc[i][2] * ca, w = loc[i][1];
    const int a =
        static_cast<int>(std::floor((l + o_.map_half_length) / (2 * o_.map_half_length) * nb));
    const int b =
        static_cast<int>(std::floor((w + o_.map_half_width) / (2 * o_.map_half_width) * nb));
    if (a >= 0 && a < nb && b >= 0 && b < nb)
      map_[static_cast<std::size_t>(b) * nb + a] += source[i] * dt;
  }
  for (; k < in_beam_.size(); ++k) finish(in_beam_[k].second, std::nan(""), std::nan(""), 0, 0);
  in_beam_ = std::move(next);
}

void BeamFigures::finish(const Crossing& c, double charge, double peak, double liquid,
                         double time_molten) {
  if (!(c.energy > 0) || !(o_.beam_power > 0)) return;
  const double a = c.energy / (c.mass * o_.beam_power);  // J/kg per W
  const double ratio = (o_.limit_enthalpy - c.entry_enthalpy) / a;
  min_ratio_ = any_ ? std::min(min_ratio_, ratio) : ratio;
  any_ = true;
  crossings_ += 1;
  if (!std::isnan(charge)) charge_sum_ += charge;
  if (!std::isnan(peak)) peak_max_ = std::max(peak_max_, peak);
  if (liquid > 0 || time_molten > 0) molten_ += 1;
}

void BeamFigures::summarize(std::map<std::string, double>& out) const {
  if (any_) {
    if (std::isfinite(min_ratio_) && o_.limit_enthalpy > 0) out["permitted_power_W"] = min_ratio_;
    out["beam_crossings"] = crossings_;
    out["mean_charge_C"] = charge_sum_ / crossings_;
    out["molten_at_beam_exit_fraction"] = molten_ / crossings_;
    out["max_temperature_at_beam_exit_K"] = peak_max_;
  }
  double total = 0;
  for (double v : map_) total += v;
  if (!(total > 0)) return;
  // 1: the map is the bremsstrahlung production of the transport (direct coupling); 0: the
  // deposited-power proxy (dense coupling)
  out["focal_spot_map_is_xray"] = map_is_xray_ ? 1.0 : 0.0;
  out["focal_spot_map_energy_J"] = total;
  const int nb = o_.map_bins;
  std::vector<double> xl(nb), xw(nb);
  for (int i = 0; i < nb; ++i) xl[i] = length_coordinate(i), xw[i] = width_coordinate(i);
  const auto lsf_l = fom::lsf_along_x(map_, nb, nb), lsf_w = fom::lsf_along_y(map_, nb, nb);
  out["focal_spot_length_m"] = fom::lsf_width(xl, lsf_l);
  out["focal_spot_width_m"] = fom::lsf_width(xw, lsf_w);
  // MTF of the width LSF in the focal-spot plane (IEC 60336, as Fig. 7b), first 50 % crossing,
  // searched up to the sampling (Nyquist) frequency of the map
  const double f_nyq = 0.5 * nb / (2 * o_.map_half_width);
  out["mtf50_lp_per_mm"] = fom::mtf_frequency_at(xw, lsf_w, 0.5, f_nyq) * 1e-3;
}

std::vector<std::pair<std::string, std::vector<double>>> BeamFigures::save_state() const {
  std::vector<double> open;
  for (const auto& [id, c] : in_beam_) {
    open.push_back(static_cast<double>(id));
    open.push_back(c.entry_enthalpy);
    open.push_back(c.mass);
    open.push_back(c.energy);
  }
  return {{"figures_map", map_},
          {"figures_open", open},
          {"figures_done",
           {crossings_, min_ratio_, charge_sum_, peak_max_, molten_, any_ ? 1.0 : 0.0,
            map_is_xray_ ? 1.0 : 0.0}}};
}

void BeamFigures::load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) {
  for (const auto& [k, v] : s) {
    if (k == "figures_map" && v.size() == map_.size()) map_ = v;
    if (k == "figures_open") {
      in_beam_.clear();
      for (std::size_t i = 0; i + 3 < v.size(); i += 4)
        in_beam_.push_back({static_cast<std::uint64_t>(v[i]), {v[i + 1], v[i + 2], v[i + 3]}});
    }
    if (k == "figures_done" && v.size() >= 6) {
      crossings_ = v[0], min_ratio_ = v[1], charge_sum_ = v[2], peak_max_ = v[3], molten_ = v[4];
      any_ = v[5] != 0;
      map_is_xray_ = v.size() > 6 && v[6] != 0;
    }
  }
}

}  // namespace mps
