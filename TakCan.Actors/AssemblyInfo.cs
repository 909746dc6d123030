namespace TakCan.Actors;
