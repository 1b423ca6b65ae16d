package vn.cds.catalog;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One indicator set (one catalog file), immutable after loading. Rules are data: see schemas/indicator-sets/. */
public record IndicatorSet(
    String id,
    String version,
    List<String> aliases,
    String decision,
    String title,
    List<String> appliesTo,
    String firstSchoolYear,
    String lastSchoolYear,
    LevelRule levelRule,
    List<Group> groups,
    String sourceFile,
    String sha256) implements Serializable {

  public record Band(int level, String name, double lower, boolean lowerInclusive, double upper, boolean upperInclusive)
      implements Serializable {
    public boolean contains(double points) {
      boolean aboveLower = lowerInclusive ? points >= lower : points > lower;
      boolean belowUpper = upperInclusive ? points <= upper : points < upper;
      return aboveLower && belowUpper;
    }
  }

  public record LevelRule(String basis, List<Band> levels, String mandatoryFailed, String overall, Map<String, String> status)
      implements Serializable {
    public boolean perGroup() {
      return "per_group".equals(basis);
    }
  }

  public record Criterion(String id, String name, double maxPoints, boolean mandatory, String scoring, String status,
      String parent, String derivedMetric, Integer derivedLevel) implements Serializable {
    public boolean derived() {
      return "derived".equals(scoring);
    }
  }

  public record CriterionBand(String criterion, double maxPoints, String status, List<Band> bands) implements Serializable {}

  public record Group(String id, String name, double maxPoints, String status, List<Criterion> criteria,
      List<CriterionBand> criterionBands) implements Serializable {}

  public List<Criterion> criteria() {
    List<Criterion> all = new ArrayList<>();
    groups.forEach(g -> all.addAll(g.criteria()));
    return all;
  }

  public Optional<Group> groupOf(String criterionId) {
    return groups.stream().filter(g -> g.criteria().stream().anyMatch(c -> c.id().equals(criterionId))).findFirst();
  }

  public double totalMaxPoints() {
    return groups.stream().mapToDouble(Group::maxPoints).sum();
  }

  /** Everything in this set that is not verified: the criteria, groups and rule parts a result rests on. */
  public List<String> unverifiedParts() {
    List<String> parts = new ArrayList<>();
    levelRule.status().forEach((part, st) -> {
      if (!"verified".equals(st)) parts.add("level_rule." + part + "=" + st);
    });
    for (Group g : groups) {
      if (!"verified".equals(g.status())) parts.add(g.id() + "=" + g.status());
      for (Criterion c : g.criteria()) if (!"verified".equals(c.status())) parts.add(c.id() + "=" + c.status());
    }
    return parts;
  }

  public boolean provisional() {
    return !unverifiedParts().isEmpty();
  }

  public long countCriteriaWithStatus(String status) {
    return criteria().stream().filter(c -> status.equals(c.status())).count();
  }

  public boolean appliesToYear(String schoolYear) {
    return schoolYear.compareTo(firstSchoolYear) >= 0 && (lastSchoolYear == null || schoolYear.compareTo(lastSchoolYear) <= 0);
  }
}
